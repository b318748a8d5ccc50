// Logging: a thin layer over spdlog so the rest of the code names one logger. Structured
// key=value pairs go in the message. Never log passwords, verifiers or parameter values.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace pgw {

// Configures the process logger. level: trace|debug|info|warn|error|off. json: one JSON object
// per line instead of text.
void InitLogging(std::string_view level, bool json);

}  // namespace pgw

#define PGW_LOG_DEBUG(...) SPDLOG_DEBUG(__VA_ARGS__)
#define PGW_LOG_INFO(...) spdlog::info(__VA_ARGS__)
#define PGW_LOG_WARN(...) spdlog::warn(__VA_ARGS__)
#define PGW_LOG_ERROR(...) spdlog::error(__VA_ARGS__)
