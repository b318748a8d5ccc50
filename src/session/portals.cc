// Portal bookkeeping that keeps the hot path free of allocations: the unnamed portal is bound
// on every execution and dropped at every transaction end, so one erased portal (with its
// buffers) and one map node are recycled instead of freed and allocated again.
#include "session/session.h"
#include "session/session_internal.h"

namespace pgw {

std::unique_ptr<ProtocolSession::Portal> ProtocolSession::TakePortal() {
  if (spare_portal_) return std::move(spare_portal_);
  return std::make_unique<Portal>();
}

void ProtocolSession::RecyclePortal(std::unique_ptr<Portal> portal) {
  if (!portal || spare_portal_) return;  // one spare is enough: the rest is freed
  portal->Reset();
  spare_portal_ = std::move(portal);
}

void ProtocolSession::InsertPortal(std::string_view name, std::unique_ptr<Portal> portal) {
  if (spare_node_.empty()) {
    portals_.emplace(std::string(name), std::move(portal));
    return;
  }
  spare_node_.key().assign(name);
  spare_node_.mapped() = std::move(portal);
  portals_.insert(std::move(spare_node_));
}

ProtocolSession::PortalMap::iterator ProtocolSession::ErasePortal(PortalMap::iterator it) {
  auto next = std::next(it);
  PortalMap::node_type node = portals_.extract(it);
  RecyclePortal(std::move(node.mapped()));
  if (spare_node_.empty()) spare_node_ = std::move(node);
  return next;
}

}  // namespace pgw
