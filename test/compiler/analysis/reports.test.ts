// The text and HTML reports: names from model files are escaped, the page is self-contained.

import { expect } from 'chai';
import { analyzeModel } from '../../../compiler/analysis/analyze-model.ts';
import { displayName } from '../../../compiler/analysis/format.ts';
import { escapeHtml, formatHtmlReport } from '../../../compiler/analysis/html-report.ts';
import { formatTextReport } from '../../../compiler/analysis/text-report.ts';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';

const EVIL = '<script>alert("x")</script>&\'\n\x1b[31m';

function evilModel() {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [1, 4, 3, 3] });
  b.inputs = [x];
  const w = b.addConst('w', [16, 4, 1, 1], new Float32Array(64));
  const y = b.addNode({ kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'none' }, [x, w], EVIL)[0];
  b.outputs = [b.addNode({ kind: 'relu' }, [y], EVIL + 'relu')[0]];
  const graph = b.build();
  return analyzeModel(graph, graph, planMemory(graph));
}

describe('analysis reports', () => {
  it('escapes HTML special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).to.equal('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('HTML: one self-contained page, every model name escaped, no scripts or external assets', () => {
    const html = formatHtmlReport(evilModel(), EVIL);
    expect(html).to.not.include('<script');
    expect(html).to.not.include('\x1b');
    expect(html).to.include('&lt;script&gt;');
    expect(html.match(/<html/g)).to.have.length(1);
    expect(html.match(/<svg/g)?.length).to.equal(html.match(/<\/svg>/g)?.length);
    // The only URL is the SVG namespace; no src/href attributes, stylesheets or imports.
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).to.not.match(/https?:|src=|href=|<link|@import|url\(/i);
    expect(html).to.include('G1'); // the 4 -> 16 1x1 conv is unbalanced
  });

  it('display names keep both ends of a long name and only printable ASCII', () => {
    expect(displayName('abcdefghij', 7)).to.equal('ab...ij');
    expect(displayName('a\u00e9\n', 7)).to.equal('a??');
  });

  it('text: names are reduced to printable ASCII, findings and arena are listed', () => {
    const text = formatTextReport(evilModel());
    expect(text).to.not.match(/[\x00-\x09\x0b-\x1f\x7f]/);
    for (const id of ['G1', 'G2', 'G3', 'G4', 'arena', 'lower bound']) expect(text).to.include(id);
  });
});
