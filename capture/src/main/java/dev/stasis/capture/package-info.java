/** capture capability of stasis. */
package dev.stasis.capture;
