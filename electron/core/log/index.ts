// The logger's door: what other rooms of the core (and the shell) import from electron/core/log.
export { createLogger, logFiles, silentLogger, LOG_DIR, LOG_LEVELS, type Logger, type LogLevel, type LoggerOptions } from './logger';
export { redactText, redactValue } from './redact';
