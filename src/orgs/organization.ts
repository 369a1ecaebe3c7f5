/** An organization as the orgs area hands it to routes and other areas. */
export interface Organization {
  id: string;
  name: string;
  email?: string;
  createdAt: string;
}
