// Classifying a level's published values for the choropleth. The page classes figures the API published; it
// computes no figure itself. Sequential classes use ColorBrewer YlGnBu, the significance classes RdBu: both read
// under the common colour-blindnesses, and withheld figures get patterns, never only a colour.
export const sequential = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
export const diverging = ["#67a9cf", "#f7f7f7", "#ef8a62"];
export const methods = ["quantiles", "jenks", "equal", "significance"];

/**
 * The classes of the values: { cuts, zeros, colours, classOf(row) }. A class is the number of cuts at or below the
 * value. Zeros, common among small territories, get a class of their own for quantiles and Jenks so that they do
 * not swallow the first classes.
 */
export function classify(method, rows) {
  if (method === "significance") return significance();
  const values = rows.filter(r => r.value !== null).map(r => r.value).sort((a, b) => a - b);
  const zeros = method !== "equal" && values.length > 0 && values[0] === 0;
  const positive = zeros ? values.filter(v => v > 0) : values;
  const k = sequential.length - (zeros ? 1 : 0);
  const inner = method === "equal" ? equalCuts(positive, k) : method === "jenks" ? jenksCuts(positive, k) : quantileCuts(positive, k);
  const cuts = zeros && positive.length > 0 ? [positive[0], ...inner.filter(c => c > positive[0])] : inner;
  const classOf = (row) => (row.value === null ? null : cuts.filter(c => row.value >= c).length);
  return { cuts, zeros, colours: sequential.slice(0, cuts.length + 1), classOf };
}

/** Lower, not different from, or higher than 1 (the reference) at the figure's 95 % interval. */
function significance() {
  const classOf = (row) => {
    if (row.value === null || row.low === null || row.high === null) return null;
    return row.high < 1 ? 0 : row.low > 1 ? 2 : 1;
  };
  return { cuts: [], zeros: false, colours: diverging, classOf, significance: true };
}

function quantileCuts(sorted, k) {
  const cuts = [];
  for (let i = 1; i < k; i++) {
    const cut = sorted[Math.floor((i * sorted.length) / k)];
    if (cut !== undefined && (cuts.length === 0 || cut > cuts[cuts.length - 1]) && cut > sorted[0]) cuts.push(cut);
  }
  return cuts;
}

function equalCuts(sorted, k) {
  if (sorted.length === 0) return [];
  const [min, max] = [sorted[0], sorted[sorted.length - 1]];
  if (max === min) return [];
  return Array.from({ length: k - 1 }, (_, i) => min + ((i + 1) * (max - min)) / k);
}

/**
 * Jenks natural breaks (Fisher's exact optimisation: the k classes minimising the within-class sum of squared
 * deviations), on at most 1,000 evenly spaced order statistics of the values so that 35,000 communes stay fast.
 */
export function jenksCuts(sorted, k) {
  const step = Math.max(1, sorted.length / 1000);
  const data = [];
  for (let i = 0; i < sorted.length; i += step) data.push(sorted[Math.floor(i)]);
  const n = data.length;
  if (n <= k) return [...new Set(data)].slice(1);
  // cost[j][i]: least squared deviation of data[0..i] in j+1 classes; start[j][i]: where its last class begins.
  const prefix = [0], prefixSquares = [0];
  for (const v of data) { prefix.push(prefix[prefix.length - 1] + v); prefixSquares.push(prefixSquares[prefixSquares.length - 1] + v * v); }
  const deviation = (from, to) => { // data[from..to] inclusive
    const count = to - from + 1, sum = prefix[to + 1] - prefix[from];
    return prefixSquares[to + 1] - prefixSquares[from] - (sum * sum) / count;
  };
  const cost = [Array.from({ length: n }, (_, i) => deviation(0, i))];
  const start = [new Array(n).fill(0)];
  for (let j = 1; j < k; j++) {
    cost.push(new Array(n).fill(Infinity));
    start.push(new Array(n).fill(0));
    for (let i = j; i < n; i++) {
      for (let m = j; m <= i; m++) {
        const c = cost[j - 1][m - 1] + deviation(m, i);
        if (c < cost[j][i]) { cost[j][i] = c; start[j][i] = m; }
      }
    }
  }
  const cuts = [];
  for (let j = k - 1, i = n - 1; j > 0; j--) {
    const m = start[j][i];
    cuts.unshift(data[m]);
    i = m - 1;
  }
  return [...new Set(cuts)];
}

// A 3 × 3 bivariate scheme (health tercile × exposure tercile), light grey to dark blue-purple; each class also keeps
// its number in the table and the legend, so the view does not rest on colour alone.
const bivariateColours = ["#e8e8e8", "#ace4e4", "#5ac8c8", "#dfb0d6", "#a5add3", "#5698b9", "#be64ac", "#8c62aa", "#3b4994"];

/**
 * A bivariate view: terciles of the published health values (rows' value) crossed with terciles of an exposure
 * (rows' exposure). Class = 3 × health tercile + exposure tercile; none where either is missing or withheld.
 */
export function bivariate(rows) {
  const tercileCuts = (values) => quantileCuts(values.sort((a, b) => a - b), 3);
  const health = tercileCuts(rows.filter(r => r.value !== null).map(r => r.value));
  const exposure = tercileCuts(rows.filter(r => r.exposure !== null && r.exposure !== undefined).map(r => r.exposure));
  const tercile = (cuts, v) => cuts.filter(c => v >= c).length;
  const classOf = (row) => (row.value === null || row.exposure === null || row.exposure === undefined ? null : 3 * tercile(health, row.value) + tercile(exposure, row.exposure));
  return { cuts: [], zeros: false, colours: bivariateColours, classOf, bivariate: { health, exposure } };
}

/** Cluster categories drawn as outlines over the choropleth: hot and cold spots, outliers, and scan clusters. */
export const clusterStyles = {
  HighHigh: "#b2182b", HotSpot: "#b2182b", LowLow: "#2166ac", ColdSpot: "#2166ac", HighLow: "#e08214", LowHigh: "#5aae61", scan: "#7b3294",
};
