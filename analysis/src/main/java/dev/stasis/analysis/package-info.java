/** analysis capability of stasis. */
package dev.stasis.analysis;
