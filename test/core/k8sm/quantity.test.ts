import { cpuCoresOrNaN, memMegabytesOrNaN, quantityError, QuantityError } from '../../../src/core/k8sm/quantity.js';

describe('cpu quantities (cores)', () => {
  it.each([
    ['500m', 0.5],
    ['0.5', 0.5],
    ['2', 2],
    [2, 2],
    [0.25, 0.25],
    ['100m', 0.1],
    ['1k', 1000],
    ['0.0001', 0.001], // rounded up to a whole milli-core, as Kubernetes does
    ['.5', 0.5],
  ])('%j is %d cores', (text, cores) => {
    expect(cpuCoresOrNaN(text)).toBeCloseTo(cores, 9);
  });

  it('does not turn 0.1 into 0.101 through floating-point noise', () => {
    expect(cpuCoresOrNaN('0.1')).toBe(0.1);
    expect(cpuCoresOrNaN('300m')).toBe(0.3);
  });
});

describe('memory quantities (MB)', () => {
  it.each([
    ['64Mi', 64],
    ['1Gi', 1024],
    ['512Ki', 0.5],
    ['128M', 128e6 / 1048576],
    ['1e9', 1e9 / 1048576],
    ['129e6', 129e6 / 1048576],
    [134217728, 128],
    ['0.5Gi', 512],
  ])('%j is %d MB', (text, mb) => {
    expect(memMegabytesOrNaN(text)).toBeCloseTo(mb, 9);
  });
});

describe('invalid quantities', () => {
  it.each(['', '1 Gi', '1GB', 'lots', '1K', '0x10', '--1', '1e', 'Mi', '1e3m'])('%j is a QuantityError that shows valid forms', (text) => {
    expect(memMegabytesOrNaN(text)).toBeNaN();
    expect(quantityError(text, 'memory')).toBeInstanceOf(QuantityError);
    expect(quantityError(text, 'memory')?.message).toMatch(/64Mi/);
  });
  it.each([null, true, {}, [], Number.NaN, Number.POSITIVE_INFINITY, -1, '-500m'])('%j is rejected', (v) => {
    expect(cpuCoresOrNaN(v)).toBeNaN();
    expect(quantityError(v, 'cpu')).toBeInstanceOf(QuantityError);
  });
});

test('a valid quantity has no error', () => {
  expect(quantityError('500m', 'cpu')).toBeUndefined();
  expect(quantityError(64, 'memory')).toBeUndefined();
});
