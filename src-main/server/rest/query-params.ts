import { z } from '@hono/zod-openapi'

/**
 * A contract object's fields as URL query parameters: numbers and booleans arrive as text, so they are coerced
 * here; everything else is kept. The core checks the full contract (ranges, refinements) again on the call.
 */
export function queryOf<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(
    Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, asQueryField(field as z.ZodType)])) as { [K in keyof Shape]: z.ZodType }
  )
}

function asQueryField(field: z.ZodType): z.ZodType {
  const inner = field instanceof z.ZodOptional ? (field.unwrap() as z.ZodType) : field
  if (inner instanceof z.ZodNumber) return z.coerce.number().int().optional()
  if (inner instanceof z.ZodBoolean) return z.enum(['true', 'false']).transform((v) => v === 'true').optional()
  return field instanceof z.ZodOptional ? field : field.optional()
}
