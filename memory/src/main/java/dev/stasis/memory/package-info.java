/** memory capability of stasis. */
package dev.stasis.memory;
