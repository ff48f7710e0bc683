// Domain types: plain data, no Prisma types (Phase D checks this).
export type OrderStatus = "PENDING" | "PAID" | "SHIPPED" | "CANCELLED";

export interface OrderLine {
  orderId: number;
  lineNo: number;
  productId: number;
  quantity: number;
  unitPrice: string;
}

export interface Order {
  id: number;
  customerId: number;
  status: OrderStatus;
  placedAt: Date;
  note: string | null;
  lines: OrderLine[];
}

export function orderTotal(order: Order): number {
  return order.lines.reduce((sum, l) => sum + l.quantity * Number(l.unitPrice), 0);
}
