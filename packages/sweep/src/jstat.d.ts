// jstat ships no types; we use Student's t and the normal distribution. It is CommonJS, so Node's
// ESM loader offers only its default export.
declare module 'jstat' {
  const jstat: {
    jStat: {
      studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
      normal: { cdf(x: number, mean: number, std: number): number; inv(p: number, mean: number, std: number): number };
    };
  };
  export default jstat;
}
