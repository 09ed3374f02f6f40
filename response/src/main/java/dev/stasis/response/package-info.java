/** response capability of stasis. */
package dev.stasis.response;
