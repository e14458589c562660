export declare const BUDGET_BYTES: number;
export declare const PAGES: Record<'reveal' | 'composer', { html: string; budgetBytes: number }>;
export interface PageSize {
  page: 'reveal' | 'composer';
  totalGzipBytes: number;
  totalBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  files: { file: string; bytes: number; gzipBytes: number }[];
}
export declare function measurePage(distDir?: string, page?: 'reveal' | 'composer'): PageSize;
export declare function measureProtocol(): Promise<{ modules: string[]; bytes: number; gzipBytes: number }>;
