// SPDX-License-Identifier: MIT
// run_guest(): one thread per vCPU issuing KVM_RUN, guest calls answered as they come, and a
// deadline enforced by setting kvm_run.immediate_exit and signalling the vCPU thread.
#include "core/run_loop.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace kvmct {

namespace {

// Interrupts a thread blocked in KVM_RUN: the handler does nothing, the ioctl returns EINTR.
constexpr int kKickSignal = SIGUSR2;

void install_kick_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_handler = [](int) {};
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: KVM_RUN must come back with EINTR
    sigaction(kKickSignal, &sa, nullptr);
  });
}

struct RunLoop {
  const RunTarget& target;
  const RunOptions& options;
  GuestRun& record;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<bool> done;
  std::vector<std::atomic<bool>> stop;
  bool run_over = false;  // vCPU 0 ended, or some vCPU ended abnormally

  RunLoop(const RunTarget& t, const RunOptions& o, GuestRun& r)
      : target(t), options(o), record(r), done(t.vcpus.size()), stop(t.vcpus.size()) {}

  void end(unsigned vcpu, VcpuEnd how, std::string detail = {}) {
    std::lock_guard lock(mu);
    record.vcpus[vcpu].end = how;
    record.vcpus[vcpu].detail = std::move(detail);
    done[vcpu] = true;
    if (vcpu == 0 || how != VcpuEnd::Finished) run_over = true;
    cv.notify_all();
  }

  void bad_exit(unsigned vcpu, const kvm_run& run, const std::string& why) {
    record.vcpus[vcpu].exit = run;
    end(vcpu, VcpuEnd::BadExit, why + target.channel.describe_exit(run));
  }

  // Returns false when the vCPU is done.
  bool guest_call(unsigned vcpu, kvm_run& run, const Result<GuestCall>& call) {
    if (!call) {
      {
        std::lock_guard lock(mu);
        record.failures.push_back("vCPU " + std::to_string(vcpu) + ": bad guest call: " + call.error().to_string());
      }
      target.channel.answer(run, target.memory, call.error());
      return true;
    }
    if (auto* finish = std::get_if<GuestFinish>(&*call)) {
      record.vcpus[vcpu].status = finish->status;
      end(vcpu, VcpuEnd::Finished, finish->status ? "finished with status " + std::to_string(finish->status) : "");
      return false;
    }
    if (auto* trap = std::get_if<GuestTrap>(&*call)) {
      record.vcpus[vcpu].trap = *trap;
      end(vcpu, VcpuEnd::Trapped, "unexpected trap: " + trap->description);
      return false;
    }
    {
      std::lock_guard lock(mu);
      if (auto* puts = std::get_if<GuestPuts>(&*call)) record.console += puts->text;
      if (auto* report = std::get_if<GuestReportCall>(&*call)) record.reports.push_back({vcpu, report->name, report->value});
      if (auto* check = std::get_if<GuestCheckFailed>(&*call))
        record.failures.push_back("vCPU " + std::to_string(vcpu) + ": " + check->to_string());
    }
    target.channel.answer(run, target.memory, Ok{});
    return true;
  }

  void vcpu_loop(unsigned index) {
    Vcpu& vcpu = target.vcpus[index];
    VcpuResult& result = record.vcpus[index];
    for (;;) {
      if (stop[index]) return end(index, VcpuEnd::Stopped);
      Status ran = vcpu.run();
      if (!ran) {
        if (ran.err() == EINTR) continue;  // the stop check above decides
        result.run_errno = ran.err();
        return end(index, VcpuEnd::RunFailed, ran.error().to_string());
      }
      result.exits++;
      kvm_run& run = *vcpu.state();
      if (std::optional<Result<GuestCall>> call = target.channel.decode(run, target.memory)) {
        if (!guest_call(index, run, *call)) return;
        continue;
      }
      const CommonExit common = decode_common_exit(run);
      if (auto* mmio = std::get_if<MmioAccess>(&common); mmio && options.on_mmio) {
        std::optional<uint64_t> value = options.on_mmio(index, *mmio);
        if (!value) return bad_exit(index, run, "MMIO access refused by the test: ");
        if (!mmio->is_write) set_mmio_load(run, *value);
        continue;
      }
      return bad_exit(index, run, "unexpected ");
    }
  }
};

}  // namespace

GuestRun run_guest(const RunTarget& target, const RunOptions& options) {
  install_kick_handler();
  GuestRun record;
  record.payload = target.payload;
  record.vcpus.resize(target.vcpus.size());
  record.timeout = options.timeout;
  RunLoop loop(target, options, record);
  const size_t n = target.vcpus.size();

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < n; i++) threads.emplace_back([&loop, i] { loop.vcpu_loop(i); });

  {
    std::unique_lock lock(loop.mu);
    record.timed_out = !loop.cv.wait_until(lock, start + options.timeout, [&] { return loop.run_over; });
  }
  // Stop every vCPU still running. immediate_exit covers a signal that lands just before the
  // thread enters KVM_RUN; the signal covers a thread already inside it.
  for (unsigned i = 0; i < n; i++) {
    loop.stop[i] = true;
    target.vcpus[i].state()->immediate_exit = 1;
  }
  for (;;) {
    bool all_done = true;
    {
      std::lock_guard lock(loop.mu);
      for (unsigned i = 0; i < n; i++)
        if (!loop.done[i]) {
          all_done = false;
          pthread_kill(threads[i].native_handle(), kKickSignal);
        }
    }
    if (all_done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  for (std::thread& t : threads) t.join();
  record.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);

  for (unsigned i = 0; i < n; i++) {
    VcpuResult& h = record.vcpus[i];
    if (record.timed_out && h.end == VcpuEnd::Stopped) h.end = VcpuEnd::TimedOut;
    if (Result<uint64_t> pc = target.vcpus[i].get_reg(target.pc_reg)) h.pc = *pc;
  }
  return record;
}

}  // namespace kvmct
