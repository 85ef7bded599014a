/**
 * Data in and out of clpipe: streaming image-folder and IDX sources, safe image decoding
 * (size limits read from the header before decoding, truncation checks, EXIF orientation),
 * a report of skipped files, and atomic sinks (images, JSONL, CSV).
 *
 * <p>Depends on no other clpipe package. Every refusal of an input file carries a short
 * machine-readable {@link dev.clpipe.data.RejectReason} code and a message naming the file;
 * {@link dev.clpipe.data.SkippedReport} collects them into {@code skipped.csv}.
 */
package dev.clpipe.data;
