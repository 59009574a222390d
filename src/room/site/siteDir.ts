/**
 * @file The folder `room build` writes and `room serve` serves when none is named: one place,
 * so that the two commands agree.
 */
export const DEFAULT_SITE_DIR = "stripes-room";
