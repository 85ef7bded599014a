/**
 * Data in and out of clpipe: streaming image-folder and IDX sources, safe image decoding
 * (size limits read from the header before decoding, truncation and PNG CRC checks, EXIF
 * orientation; JPEG through libjpeg-turbo bound with JNA, optionally DCT-scaled, ImageIO otherwise),
 * a fast PNG encoder,
 * a report of skipped files, and atomic sinks (images, JSONL, CSV).
 *
 * <p>Depends on no other clpipe package (JNA and the system's libturbojpeg.so.0 outside it). Every refusal of an input file carries a short
 * machine-readable {@link dev.clpipe.data.RejectReason} code and a message naming the file;
 * {@link dev.clpipe.data.SkippedReport} collects them into {@code skipped.csv}.
 */
package dev.clpipe.data;
