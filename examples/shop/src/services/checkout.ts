// Business logic: talks to repositories only, never to the Prisma client.
import { Order, orderTotal } from "../domain/order";
import { OrderRepository } from "../repositories/order-repository";
import { CatalogRepository } from "../repositories/catalog-repository";

export class CheckoutService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly catalog: CatalogRepository,
  ) {}

  async place(customerId: number, items: { sku: string; quantity: number }[]): Promise<Order> {
    const lines = [];
    for (const [i, item] of items.entries()) {
      const product = await this.catalog.productBySku(item.sku);
      if (!product || !product.active) throw new Error(`unknown product ${item.sku}`);
      lines.push({ lineNo: i + 1, productId: product.id, quantity: item.quantity, unitPrice: product.price });
    }
    const order = await this.orders.create(customerId, lines);
    if (orderTotal(order) <= 0) throw new Error("empty order");
    return order;
  }
}
