// jstat ships no types; we use two functions of Student's t distribution.
declare module 'jstat' {
  export const jStat: {
    studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
  };
}
