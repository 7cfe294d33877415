/**
 * MPEG-TS without I/O: packet fields, PSI sections (PAT/PMT) with their CRC, elementary-stream kinds,
 * keyframe detection, and the splicer that keeps players on their PIDs across a change of source.
 * Everything here works on byte arrays the caller owns, so the relay's per-packet path allocates nothing.
 */
package io.sluice.ts;
