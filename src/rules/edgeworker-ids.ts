/** An EdgeWorker id is a number, written as up to 18 digits (it fits a signed 64-bit integer). */
export const EDGEWORKER_ID = /^\d{1,18}$/;

/** A token may be restricted to at most this many EdgeWorker ids. */
export const MAX_EDGEWORKER_IDS = 8;

export const isEdgeWorkerId = (value: string): boolean => EDGEWORKER_ID.test(value);
