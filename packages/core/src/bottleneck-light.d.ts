// Bottleneck's single-file build without clustering, the one @octokit/plugin-throttling loads (and the
// bundle already holds); it has the full package's API without Redis, so it takes the full package's types.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
