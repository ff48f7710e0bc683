-- what Prisma 6 db push creates on SQLite for a small shop
CREATE TABLE "Customer" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL, "name" TEXT, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" DATETIME NOT NULL);
CREATE TABLE "orders" ("id" TEXT NOT NULL PRIMARY KEY, "customer_id" INTEGER NOT NULL, "number" INTEGER NOT NULL, "status" TEXT NOT NULL DEFAULT 'PENDING', "total" DECIMAL NOT NULL, "paid" BOOLEAN NOT NULL DEFAULT false,
  CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE);
CREATE TABLE "Category" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT);
CREATE TABLE "Product" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT);
CREATE TABLE "_CategoryToProduct" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL,
  CONSTRAINT "_CategoryToProduct_A_fkey" FOREIGN KEY ("A") REFERENCES "Category" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "_CategoryToProduct_B_fkey" FOREIGN KEY ("B") REFERENCES "Product" ("id") ON DELETE CASCADE ON UPDATE CASCADE);
CREATE UNIQUE INDEX "Customer_email_key" ON "Customer"("email");
CREATE UNIQUE INDEX "orders_customer_id_number_key" ON "orders"("customer_id", "number");
CREATE UNIQUE INDEX "_CategoryToProduct_AB_unique" ON "_CategoryToProduct"("A", "B");
CREATE INDEX "_CategoryToProduct_B_index" ON "_CategoryToProduct"("B");
CREATE TABLE "_prisma_migrations" ("id" TEXT PRIMARY KEY NOT NULL);
