import { describe, expect, it } from 'vitest'
import { buildArgs, schemaFields } from '../../../src/renderer/src/preview/schemaFields'
import { formatCountdown, formatJson } from '../../../src/renderer/src/format'

const schema = {
  type: 'object',
  required: ['searchTerm'],
  properties: {
    searchTerm: { type: 'string', description: 'What to look for' },
    size: { type: 'string', enum: ['small', 'large'] },
    count: { type: 'integer', default: 3 },
    spicy: { type: 'boolean' },
    filters: { type: 'object' },
  },
}

describe('form from an input schema', () => {
  it('derives one field per property with its kind, required flag and default', () => {
    expect(schemaFields(schema).map((f) => [f.name, f.kind, f.required, f.defaultValue])).toEqual([
      ['searchTerm', 'string', true, undefined],
      ['size', 'enum', false, undefined],
      ['count', 'integer', false, 3],
      ['spicy', 'boolean', false, undefined],
      ['filters', 'json', false, undefined],
    ])
  })

  it('sends defaults, overlays input and leaves blank optional fields out', () => {
    const fields = schemaFields(schema)
    expect(buildArgs(fields, { searchTerm: 'pepperoni', size: '' })).toEqual({
      searchTerm: 'pepperoni',
      count: 3,
    })
    expect(buildArgs(fields, { searchTerm: '', count: 5, spicy: false })).toEqual({
      searchTerm: '',
      count: 5,
      spicy: false,
    })
  })

  it('has no fields for a schema without properties', () => {
    expect(schemaFields({ type: 'object' })).toEqual([])
  })
})

describe('formatting', () => {
  it('keeps JSON intact while putting short structures on one line', () => {
    const value = { a: [1, 2], text: 'x, "y"', nested: { long: 'z'.repeat(100) } }
    const text = formatJson(value)
    expect(JSON.parse(text)).toEqual(value)
    expect(text).toContain('"a": [1, 2]')
  })

  it('counts down to expiry and up after it', () => {
    expect(formatCountdown(3725)).toBe('expires in 1h 2m 5s')
    expect(formatCountdown(-65)).toBe('expired 1m 5s ago')
  })
})
