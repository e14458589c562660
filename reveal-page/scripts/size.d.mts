export declare const BUDGET_BYTES: number;
export interface PageSize {
  totalGzipBytes: number;
  totalBytes: number;
  budgetBytes: number;
  withinBudget: boolean;
  files: { file: string; bytes: number; gzipBytes: number }[];
}
export declare function measurePage(distDir?: string): PageSize;
export declare function measureProtocol(): Promise<{ modules: string[]; bytes: number; gzipBytes: number }>;
