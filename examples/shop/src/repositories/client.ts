// The only place the Prisma client is created.
import { PrismaClient } from "@prisma/client";

export const prisma = new PrismaClient();
