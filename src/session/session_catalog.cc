// ProtocolSession::CatalogView: the session state catalog SQL reads and writes (pg_settings,
// current_setting(), set_config(), pg_stat_activity), straight from the session's settings
// object and the process-wide session registry. Called by the backend on the thread running
// this session's statement.
#include "common/sqlstate.h"
#include "session/copy_progress.h"
#include "session/session.h"
#include "session/session_internal.h"

namespace pgw {

class ProtocolSession::CatalogView final : public SessionCatalogContext {
 public:
  explicit CatalogView(ProtocolSession& s) : s_(s) {}

  std::vector<CatalogSetting> Settings() const override {
    std::vector<CatalogSetting> rows = s_.settings_.CatalogRows();
    for (CatalogSetting& r : rows) {
      if (r.name == "session_authorization") r.setting = s_.params_.user;
    }
    return rows;
  }

  Result<std::string> CurrentSetting(const std::string& name, bool missing_ok,
                                     bool* found) const override {
    *found = true;
    Result<std::string> v = s_.settings_.Show(name);
    if (!v.ok() && missing_ok && v.status().sqlstate() == sqlstate::kUndefinedObject) {
      *found = false;
      return std::string();
    }
    if (v.ok() && SessionSettings::CanonicalName(name) == "session_authorization") {
      return s_.params_.user;
    }
    return v;
  }

  Result<std::string> SetConfig(const std::string& name, const std::string& value,
                                bool is_local) override {
    std::vector<std::pair<std::string, std::string>> changed;
    bool applied = true;
    PGW_RETURN_IF_ERROR(s_.ApplySet(name, {value}, is_local, &changed, &applied));
    for (auto& c : changed) s_.pending_reports_.push_back(std::move(c));
    if (!applied) return value;
    return s_.settings_.Show(name);
  }

  std::vector<CatalogActivity> Activity() const override {
    return SessionRegistry::Instance().Snapshot();
  }

  int64_t server_start_us() const override { return SessionRegistry::Instance().start_us(); }

  std::vector<CopyProgressRow> CopyProgress() const override {
    if (s_.ctx_.copy_progress == nullptr) return {};
    return s_.ctx_.copy_progress->Snapshot();
  }

 private:
  ProtocolSession& s_;
};

void ProtocolSession::StartActivity() {
  catalog_view_ = std::make_shared<CatalogView>(*this);
  params_.catalog = catalog_view_.get();
  CatalogActivity a;
  a.pid = key_.pid;
  a.database = params_.database;
  a.user = params_.user;
  a.application_name = params_.application_name;
  a.backend_start_us = WallClockMicros();
  a.state_change_us = a.backend_start_us;
  a.state = "idle";
  activity_ = SessionRegistry::Instance().Register(std::move(a));
}

Status ProtocolSession::ApplySet(const std::string& name, const std::vector<std::string>& values,
                                 bool is_local,
                                 std::vector<std::pair<std::string, std::string>>* changed,
                                 bool* applied) {
  *applied = true;
  if (is_local) {
    if (tx_ == TxState::kIdle && !implicit_tx_) {
      *applied = false;
      return Status::OK();
    }
    local_settings_.push_back(name);
  }
  PGW_RETURN_IF_ERROR(settings_.Set(name, values, changed));
  if (activity_ && SessionSettings::CanonicalName(name) == "application_name") {
    Result<std::string> v = settings_.Show(name);
    if (v.ok()) activity_->SetApplicationName(*v);
  }
  return Status::OK();
}

}  // namespace pgw
