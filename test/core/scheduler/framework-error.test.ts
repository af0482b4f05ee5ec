import { frameworkIdRemoved } from '../../../src/core/scheduler/framework-error.js';

describe('frameworkIdRemoved', () => {
  it("is the master's answer to a SUBSCRIBE with the id of a torn-down framework", () => {
    expect(frameworkIdRemoved('Framework has been removed')).toBe(true);
    expect(frameworkIdRemoved('Framework b4e1016b-9251-4379-9f6f-338f3c1b33a1-0005 has been removed')).toBe(true);
  });

  it('is not any other ERROR: the id stays', () => {
    expect(frameworkIdRemoved('Framework failed over')).toBe(false);
    expect(frameworkIdRemoved("Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'")).toBe(false);
    expect(frameworkIdRemoved('')).toBe(false);
  });
});
