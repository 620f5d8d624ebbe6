/**
 * What users see when something breaks unexpectedly: an {@link org.imaginebot.incident.Incident} id
 * in a short sentence for the user, and the same id with the stack trace in the operator log, so a
 * report from chat leads straight to the cause without ever showing users a raw exception.
 */
package org.imaginebot.incident;
