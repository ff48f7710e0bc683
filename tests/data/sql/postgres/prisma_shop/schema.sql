-- what Prisma 6 db push creates for a small shop (names as Prisma chooses them)
CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'PAID');
CREATE TABLE "Customer" ("id" SERIAL NOT NULL, "email" VARCHAR(320) NOT NULL, "name" TEXT, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL, CONSTRAINT "Customer_pkey" PRIMARY KEY ("id"));
CREATE TABLE "orders" ("id" TEXT NOT NULL, "customer_id" INTEGER NOT NULL, "number" INTEGER NOT NULL, "status" "OrderStatus" NOT NULL DEFAULT 'PENDING', "total" DECIMAL(12,2) NOT NULL, "tags" TEXT[], CONSTRAINT "orders_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Category" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL, CONSTRAINT "Category_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Product" ("id" SERIAL NOT NULL, "sku" TEXT NOT NULL, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));
CREATE TABLE "_CategoryToProduct" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL, CONSTRAINT "_CategoryToProduct_AB_pkey" PRIMARY KEY ("A","B"));
CREATE UNIQUE INDEX "Customer_email_key" ON "Customer"("email");
CREATE UNIQUE INDEX "orders_customer_id_number_key" ON "orders"("customer_id", "number");
CREATE INDEX "orders_status_idx" ON "orders"("status");
CREATE INDEX "_CategoryToProduct_B_index" ON "_CategoryToProduct"("B");
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "_CategoryToProduct" ADD CONSTRAINT "_CategoryToProduct_A_fkey" FOREIGN KEY ("A") REFERENCES "Category"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_CategoryToProduct" ADD CONSTRAINT "_CategoryToProduct_B_fkey" FOREIGN KEY ("B") REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY, "checksum" VARCHAR(64) NOT NULL);
