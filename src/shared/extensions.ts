/**
 * Extension points: places where one domain lets others add something (sections of a case page, blocks of a village
 * page, reactions to a case being settled...) without knowing them. The offering domain creates the point and
 * exports it from its index.ts; contributing modules list `contribute(point, value)` in their manifest; the offering
 * domain reads `ctx.extensions.all(point)`. The registry is built once from the module list (src/modules.ts).
 */
export interface ExtensionPoint<T> {
  readonly id: string;
  /** Carries T for the type checker only. */
  readonly _value?: T;
}

export interface Contribution<T = unknown> {
  point: ExtensionPoint<T>;
  value: T;
}

export const extensionPoint = <T>(id: string): ExtensionPoint<T> => ({ id });
export const contribute = <T>(point: ExtensionPoint<T>, value: T): Contribution<T> => ({ point, value });

/** Every contribution, looked up by extension point, in the order given (the modules' order). */
export class Extensions {
  private readonly byPoint = new Map<string, unknown[]>();

  constructor(contributions: readonly Contribution[] = []) {
    for (const c of contributions) {
      const list = this.byPoint.get(c.point.id) ?? [];
      list.push(c.value);
      this.byPoint.set(c.point.id, list);
    }
  }

  all<T>(point: ExtensionPoint<T>): readonly T[] {
    return (this.byPoint.get(point.id) ?? []) as T[];
  }
}
