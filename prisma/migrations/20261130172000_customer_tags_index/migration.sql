-- Segments: "customer tag is any / all of …" over the shop's customers reads the tags through a GIN index
CREATE INDEX "Customer_tags_idx" ON "Customer" USING GIN ("tags");
