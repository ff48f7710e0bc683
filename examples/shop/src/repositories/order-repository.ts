// Repository of orders and order_lines: the Prisma client stays in this layer.
import { Prisma } from "@prisma/client";
import { prisma } from "./client";
import { Order, OrderLine } from "../domain/order";

type NewLine = Omit<OrderLine, "orderId">;

export class OrderRepository {
  async create(customerId: number, lines: NewLine[]): Promise<Order> {
    const row = await prisma.orders.create({
      data: {
        customer_id: customerId,
        order_lines: {
          create: lines.map((l) => ({
            line_no: l.lineNo,
            product_id: l.productId,
            quantity: l.quantity,
            unit_price: new Prisma.Decimal(l.unitPrice),
          })),
        },
      },
      include: { order_lines: true },
    });
    return {
      id: row.id,
      customerId: row.customer_id,
      status: row.status as Order["status"],
      placedAt: row.placed_at,
      note: row.note,
      lines: row.order_lines.map((l) => ({
        orderId: l.order_id,
        lineNo: l.line_no,
        productId: l.product_id,
        quantity: l.quantity,
        unitPrice: l.unit_price.toString(),
      })),
    };
  }
}
