// Local demo data: the demo shop's week (app/demo/seed.server.ts, the same seed the demo button runs).
// SEED_SHOP seeds the same week into another shop, e.g. a development store.
import { db } from "../app/db.server";
import { DEMO_SHOP } from "../app/demo/demo.server";
import { seedDemo } from "../app/demo/seed.server";

const shop = process.env.SEED_SHOP ?? DEMO_SHOP;
await seedDemo(db, shop);
console.log(`Seeded ${shop}`);
await db.$disconnect();
