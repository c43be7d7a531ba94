#include "targets/fix/fix_gateway_port.h"

namespace ordeal::fix {

using namespace exchange;

FixGatewayPort::FixGatewayPort(LiveNetwork& net, NodeId gateway, FixPortConfig config)
    : Node(net.env(kNodeId), kNodeId),
      net_(net),
      gateway_(gateway),
      config_(std::move(config)),
      engine_(
          FixEngineConfig{
              .acceptor = true,
              .host = config_.host,
              .port = config_.port,
              .sessions = {{"FIX.4.4", config_.sender, config_.target},
                           {"FIX.4.2", config_.sender, config_.target}},
              .store_dir = config_.store_dir,
          },
          FixHandlers{
              .on_message = [this](const std::string& session,
                                   const FixMessage& m) { return on_fix(session, m); },
              .on_session = nullptr,
          }) {}

// QuickFIX's thread must be gone before the node it posts to.
FixGatewayPort::~FixGatewayPort() { engine_.stop(); }

std::string FixGatewayPort::start() { return engine_.start(); }

// On QuickFIX's thread: decode here, act on the network's thread.
bool FixGatewayPort::on_fix(const std::string& session, const FixMessage& message) {
  std::string error;
  std::optional<FixRequest> request = decode_request(message, error);
  if (!request && error.empty()) return false;  // QuickFIX sends a BusinessMessageReject
  if (!request) {
    // Refused as its kind is: a bad mass status by a BusinessMessageReject
    // naming its MassStatusReqID, anything else by an ER Rejected.
    FixRequest bad;
    bad.request.kind = message.type == "AF" ? RequestKind::mass_status : RequestKind::place;
    bad.request.clordid = message.get(tag::clordid);
    if (message.type == "AF") bad.status_req_id = message.get(tag::mass_status_req_id);
    net_.post([this, session, bad, error] { reject(session, bad, error); });
    return true;
  }
  net_.post(
      [this, session, r = std::move(*request)]() mutable { on_request(session, std::move(r)); });
  return true;
}

Recovery FixGatewayPort::attach_journals(const std::string& dir) {
  Recovery chains = chains_.attach_journal(dir + "/clordids.log", {});
  if (!chains.error.empty()) return chains;
  Recovery sessions = report_sessions_.attach_journal(dir + "/fix-sessions.log", {});
  sessions.records += chains.records;
  if (!chains.note.empty()) {
    sessions.note = sessions.note.empty() ? chains.note : chains.note + "; " + sessions.note;
  }
  return sessions;
}

void FixGatewayPort::on_request(const std::string& session, FixRequest fr) {
  const ClientId client = fr.request.client;
  report_sessions_.heard(client, session);
  if (pending_.size() >= config_.pending_max) return reject(session, fr, "FIX port overloaded");
  if (chains_.size() >= config_.orders_max) {
    return reject(session, fr, "FIX port order table full");
  }
  ClientRequest request = fr.request;
  request.request_id = next_request_id_++;
  if (request.kind == RequestKind::place) {
    chains_.named(client, request.clordid, request.clordid);
  } else if (request.kind != RequestKind::mass_cancel && request.kind != RequestKind::mass_status) {
    request.clordid = chains_.original(client, request.clordid);
    // A later request may name the order by this request's ClOrdID.
    if (!fr.clordid.empty()) chains_.named(client, fr.clordid, request.clordid);
  }
  // The exchange's amend changes only what is non-zero; FIX restates both.
  pending_.emplace(request.request_id, Pending{session, std::move(fr)});
  env_.send(gateway_, std::move(request));
}

void FixGatewayPort::reject(const std::string& session, const FixRequest& request,
                            std::string reason) {
  FixReply reply{.request = request,
                 .response = {.client = request.request.client,
                              .kind = request.request.kind,
                              .verdict = Verdict::reject,
                              .reason = std::move(reason)},
                 .exec_id = next_exec_id()};
  engine_.send_or_keep(session, encode_reply(reply));
}

void FixGatewayPort::on_response(const ClientResponse& response) {
  auto it = pending_.find(response.request_id);
  if (it == pending_.end()) return;
  Pending pending = std::move(it->second);
  pending_.erase(it);
  const ClientRequest& asked = pending.request.request;
  if (response.kind == RequestKind::amend && response.verdict == Verdict::ack) {
    chains_.amended(asked.client, chains_.original(asked.client, asked.clordid),
                    pending.request.clordid);
  }
  FixReply reply{.request = pending.request, .response = response, .exec_id = next_exec_id()};
  if (response.kind == RequestKind::mass_status) return send_mass_status(pending.session, reply);
  engine_.send_or_keep(pending.session, encode_reply(reply));
}

// A report per order, each under the order's ClOrdID in force (the
// exchange names it by the one it was placed with).
void FixGatewayPort::send_mass_status(const std::string& session, const FixReply& reply) {
  std::vector<std::string> clordids;
  clordids.reserve(reply.response.orders.size());
  for (const OrderView& order : reply.response.orders) {
    clordids.push_back(chains_.current(reply.response.client, order.clordid));
  }
  for (const FixMessage& m : encode_mass_status(reply, clordids)) {
    engine_.send_or_keep(session, m);
  }
  mass_statuses_.fetch_add(1, std::memory_order_relaxed);
}

void FixGatewayPort::on_message(NodeId /*from*/, const Message& message) {
  if (const auto* response = std::get_if<ClientResponse>(&message)) {
    on_response(*response);
  } else if (const auto* fill = std::get_if<Fill>(&message)) {
    engine_.send_or_keep(
        report_sessions_.of(fill->client),
        encode_fill(*fill, chains_.current(fill->client, fill->clordid), next_exec_id()));
  } else if (const auto* update = std::get_if<OrderUpdate>(&message)) {
    const ClientId client = update->order.client;
    engine_.send_or_keep(
        report_sessions_.of(client),
        encode_update(*update, chains_.current(client, update->order.clordid), next_exec_id()));
  }
}

}  // namespace ordeal::fix
