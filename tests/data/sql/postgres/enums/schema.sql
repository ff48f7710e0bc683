CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'PAID', 'SHIPPED', 'cancelled');
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE "Empty One" AS ENUM ();
CREATE TABLE orders (
  id serial PRIMARY KEY,
  status "OrderStatus" NOT NULL DEFAULT 'PENDING',
  mood mood,
  other "Empty One"
);
