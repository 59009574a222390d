/**
 * @file transforms.Compose: applies transforms in order; the result is itself callable.
 */
import { Transform, transform } from "./transform";
import { VisionError } from "../errors";

type AnyTransform = Transform<any, any> | ((input: any) => any);
type InputOf<T extends readonly AnyTransform[]> = T extends readonly [(input: infer I) => any, ...any[]] ? I : unknown;
type OutputOf<T extends readonly AnyTransform[]> = T extends readonly [...any[], (input: any) => infer O] ? O : unknown;

export interface Compose<I, O> extends Transform<I, O> {
  readonly transforms: readonly AnyTransform[];
}

/**
 * **Example**
 * ```ts
 * const preprocess = transforms.Compose([transforms.Resize(256), transforms.ToTensor()]);
 * const img_t = preprocess(img);   // tf.Tensor3D [3, 256, 314]
 * ```
 * Porting note: the repr is torchvision's, one transform per line indented four spaces.
 */
export function Compose<T extends readonly AnyTransform[]>(transforms: readonly [...T]): Compose<InputOf<T>, OutputOf<T>> {
  if (!Array.isArray(transforms) || transforms.some((t) => typeof t !== "function")) {
    throw new VisionError("Compose expects a list of transforms (functions)");
  }
  const list = [...transforms];
  const fn = (input: InputOf<T>): OutputOf<T> => list.reduce((x, t) => t(x), input as unknown) as OutputOf<T>;
  return transform("Compose", fn, { transforms: list }, () => `Compose(${list.map((t) => `\n    ${t}`).join("")}\n)`);
}
