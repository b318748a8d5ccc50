#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace pgw {

void InitLogging(std::string_view level, bool json) {
  auto logger = spdlog::stderr_color_mt("iris-pgwire");
  if (json) {
    logger->set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t,"msg":"%v"})",
        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [%t] %v");
  }
  logger->set_level(spdlog::level::from_str(std::string(level)));
  spdlog::set_default_logger(logger);
}

}  // namespace pgw
