-- what Prisma creates on MySQL for a small shop (Prisma 6 migrate diff output)
CREATE TABLE `Customer` (`id` INTEGER NOT NULL AUTO_INCREMENT, `email` VARCHAR(320) NOT NULL, `name` VARCHAR(191) NULL, `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), `updatedAt` DATETIME(3) NOT NULL,
  UNIQUE INDEX `Customer_email_key`(`email`), PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE TABLE `orders` (`id` VARCHAR(191) NOT NULL, `customer_id` INTEGER NOT NULL, `number` INTEGER NOT NULL, `status` ENUM('PENDING', 'PAID') NOT NULL DEFAULT 'PENDING', `total` DECIMAL(12, 2) NOT NULL, `meta` JSON NULL,
  INDEX `orders_status_idx`(`status`), UNIQUE INDEX `orders_customer_id_number_key`(`customer_id`, `number`), PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE TABLE `_CategoryToProduct` (`A` INTEGER NOT NULL, `B` INTEGER NOT NULL, UNIQUE INDEX `_CategoryToProduct_AB_unique`(`A`, `B`), INDEX `_CategoryToProduct_B_index`(`B`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE TABLE `Category` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4;
CREATE TABLE `Product` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4;
ALTER TABLE `orders` ADD CONSTRAINT `orders_customer_id_fkey` FOREIGN KEY (`customer_id`) REFERENCES `Customer`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE `_CategoryToProduct` ADD CONSTRAINT `_CategoryToProduct_A_fkey` FOREIGN KEY (`A`) REFERENCES `Category`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE `_CategoryToProduct` ADD CONSTRAINT `_CategoryToProduct_B_fkey` FOREIGN KEY (`B`) REFERENCES `Product`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TABLE `_prisma_migrations` (`id` VARCHAR(36) NOT NULL PRIMARY KEY);
