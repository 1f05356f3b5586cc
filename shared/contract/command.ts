import type { z } from 'zod';

/** One command of the contract: its input and output schemas. */
export const command = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
