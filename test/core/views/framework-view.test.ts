import { frameworkViews } from '../../../src/core/views/framework-view.js';
import { framework } from './snapshot-fixture.js';

const fws = [framework('F3', 'marathon'), framework('F2', 'Kubernetes', { completed: true }), framework('F1', 'Kubernetes'), framework('F0', 'chronos')];

test('registered frameworks by name, completed ones only when asked and after the others', () => {
  expect(frameworkViews(fws, { completed: false, k8smOnly: false }).map((f) => f.id)).toEqual(['F1', 'F0', 'F3']);
  expect(frameworkViews(fws, { completed: true, k8smOnly: false }).map((f) => f.id)).toEqual(['F1', 'F0', 'F3', 'F2']);
  expect(frameworkViews(fws, { completed: true, k8smOnly: true }).map((f) => f.id)).toEqual(['F1', 'F2']);
});
