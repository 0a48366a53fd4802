// Local demo data: one shop with a connected account, cart reminders on, and a few friends.
// Uses the test factories, so seed data and test data come from one place.
import { db } from "../app/db.server";
import { createFriend, createLineAccount, createShop, enableCartReminders } from "../tests/support/factories";

const shopDomain = process.env.SEED_SHOP ?? "line-crm-dev.myshopify.com";

const shop = await createShop(db, { shop: shopDomain });
if ((await db.lineAccount.count({ where: { shop: shop.shop } })) === 0) {
  const account = await createLineAccount(db, shop.shop, { displayName: "Demo store" });
  await enableCartReminders(db, account, 600);
  for (let i = 0; i < 5; i += 1) await createFriend(db, account, { followStatus: i === 4 ? "blocked" : "following" });
}
console.log(`Seeded ${shop.shop}`);
await db.$disconnect();
