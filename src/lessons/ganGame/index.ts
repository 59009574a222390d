/**
 * @file Lesson 02, the GAN game: what its notebook takes from `lessons` (the playground, and the
 * ring's centres for its own measure). The rest of this folder is the playground's inside.
 */
export { Playground } from "./ganPlayground";
export { ringCenters } from "./toyData";
