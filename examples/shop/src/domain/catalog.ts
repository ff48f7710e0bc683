// Domain types of the catalog.
export interface Customer {
  id: number;
  email: string;
  fullName: string;
}

export interface Address {
  id: number;
  customerId: number;
  line1: string;
  city: string;
  country: string;
}

export interface Product {
  id: number;
  sku: string;
  title: string;
  price: string;
  active: boolean;
  categoryNames: string[];
}
