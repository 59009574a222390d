/**
 * @file Widgets: interactive controls in a notebook, speaking the ipywidgets 8 protocol so that
 * JupyterLab 4, Notebook 7 and VS Code draw them with their own ipywidgets front end. The
 * learner's API is ipywidgets' learner side in TypeScript: properties, `observe`, `onClick`,
 * `interact`. `widgets` in src/index.ts is this module, so only the learner's API is here; the
 * kernel reaches the control target through ./registry (`registerWidgetTargets`).
 */
export { Widget } from "./widget";
export type { Change, Observer } from "./widget";
export { WidgetError } from "./errors";
export { Layout } from "./layout";
export type { LayoutOptions } from "./layout";
export { Style } from "./style";
export type { StyleOptions } from "./style";
export { IntSlider, FloatSlider, FloatLogSlider } from "./slider";
export type { SliderOptions, FloatLogSliderOptions } from "./slider";
export { Dropdown, ToggleButtons } from "./selection";
export type { SelectionOptions, ToggleButtonsOptions } from "./selection";
export { Checkbox } from "./checkbox";
export type { CheckboxOptions } from "./checkbox";
export { Button } from "./button";
export type { ButtonOptions } from "./button";
export { Play } from "./play";
export type { PlayOptions } from "./play";
export { Label, HTML } from "./text";
export type { TextOptions } from "./text";
export { Image } from "./image";
export type { ImageOptions } from "./image";
export { Output } from "./output";
export { HBox, VBox } from "./box";
export type { BoxOptions } from "./box";
export { interact, interactive } from "./interact";
export type { ValueWidget, ValuesOf } from "./interact";
