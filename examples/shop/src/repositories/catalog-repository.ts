// Repository of customers, addresses, products and categories.
import { prisma } from "./client";
import { Address, Customer, Product } from "../domain/catalog";

export class CatalogRepository {
  async productBySku(sku: string): Promise<Product | null> {
    const row = await prisma.products.findUnique({ where: { sku }, include: { categories: true } });
    if (!row) return null;
    return {
      id: row.id,
      sku: row.sku,
      title: row.title,
      price: row.price.toString(),
      active: row.active,
      categoryNames: row.categories.map((c) => c.name),
    };
  }

  async customer(id: number): Promise<Customer | null> {
    const row = await prisma.customers.findUnique({ where: { id } });
    return row && { id: row.id, email: row.email, fullName: row.full_name };
  }

  async addresses(customerId: number): Promise<Address[]> {
    const rows = await prisma.addresses.findMany({ where: { customer_id: customerId } });
    return rows.map((r) => ({ id: r.id, customerId: r.customer_id, line1: r.line1, city: r.city, country: r.country }));
  }
}
