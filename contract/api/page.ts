// The envelope of every paginated list (worker/lib/pagination.ts builds it).
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
  has_more: boolean;
}
