/** evidence capability of stasis. */
package dev.stasis.evidence;
