/** The part of ml-cart (CART decision trees, no bundled types) the report uses. */
declare module 'ml-cart' {
  /** A trained node: internal nodes split on `row[splitColumn] < splitValue` (left) or not (right); leaves hold `distribution`. */
  export interface CartNode {
    splitColumn?: number;
    splitValue?: number;
    left?: CartNode;
    right?: CartNode;
    /** Leaf of a classifier: a 1 x classes matrix of class shares; leaf of a regression: the mean. */
    distribution?: number | { columns: number; get(row: number, column: number): number };
  }
  export interface CartOptions {
    maxDepth?: number;
    minNumSamples?: number;
    gainThreshold?: number;
  }
  export class DecisionTreeClassifier {
    constructor(options?: CartOptions);
    root: CartNode;
    train(rows: number[][], labels: number[]): void;
    predict(rows: number[][]): number[];
  }
  export class DecisionTreeRegression {
    constructor(options?: CartOptions);
    root: CartNode;
    train(rows: number[][], values: number[]): void;
    predict(rows: number[][]): number[];
  }
}
