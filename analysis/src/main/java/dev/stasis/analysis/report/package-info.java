/**
 * The report: immutable rows that hold everything a renderer shows, so that rendering never goes
 * back to the archive. The JSON layout is analysis/REPORT-SCHEMA.md.
 */
package dev.stasis.analysis.report;
