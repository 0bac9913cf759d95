// SPDX-License-Identifier: MIT
// GuestVm::run(): one thread per vCPU issuing KVM_RUN, hypercalls answered as they come, and a
// deadline enforced by setting kvm_run.immediate_exit and signalling the vCPU thread, so a
// hung guest ends as a TimedOut record instead of a hung suite.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "riscv/guest_abi.h"
#include "riscv/guest_vm.h"
#include "riscv/sbi_hypercall.h"

namespace kvmct::riscv {

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
  GuestVm& vm;
  GuestMemory& memory;
  const RunOptions& options;
  GuestRun& record;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<bool> done;
  std::vector<std::atomic<bool>> stop;
  bool run_over = false;  // vCPU 0 ended, or some vCPU ended abnormally

  RunLoop(GuestVm& v, const RunOptions& o, GuestRun& r)
      : vm(v), memory(v.memory()), options(o), record(r), done(v.vcpu_count()), stop(v.vcpu_count()) {}

  void end(unsigned hart, HartEnd how, std::string detail = {}) {
    std::lock_guard lock(mu);
    record.harts[hart].end = how;
    record.harts[hart].detail = std::move(detail);
    done[hart] = true;
    if (hart == 0 || how != HartEnd::Finished) run_over = true;
    cv.notify_all();
  }

  void bad_exit(unsigned hart, const VcpuExit& exit, const std::string& why) {
    record.harts[hart].exit = exit;
    end(hart, HartEnd::BadExit, why + to_string(exit));
  }

  // Returns false when the hart is done.
  bool hypercall(unsigned hart, kvm_run& run, const SbiCall& call) {
    Result<SbiHypercall> hc = decode_hypercall(call, memory);
    if (!hc) {
      std::lock_guard lock(mu);
      record.failures.push_back("vCPU " + std::to_string(hart) + ": bad hypercall: " + hc.error().to_string());
      set_sbi_return(run, sbi_error_for(hc.error()), 0);
      return true;
    }
    if (auto* finish = std::get_if<GuestFinish>(&*hc)) {
      record.harts[hart].status = finish->status;
      end(hart, HartEnd::Finished, finish->status ? "finished with status " + std::to_string(finish->status) : "");
      return false;
    }
    if (auto* trap = std::get_if<GuestTrap>(&*hc)) {
      end(hart, HartEnd::Trapped, "unexpected trap: " + trap->to_string());
      return false;
    }
    {
      std::lock_guard lock(mu);
      if (auto* puts = std::get_if<GuestPuts>(&*hc)) record.console += puts->text;
      if (auto* report = std::get_if<GuestReportCall>(&*hc)) record.reports.push_back({hart, report->name, report->value});
      if (auto* check = std::get_if<GuestCheckFailed>(&*hc))
        record.failures.push_back("vCPU " + std::to_string(hart) + ": " + check->to_string());
    }
    set_sbi_return(run, KVMCT_SBI_SUCCESS, 0);
    return true;
  }

  void hart_loop(unsigned hart) {
    Vcpu& vcpu = vm.vcpu(hart);
    HartResult& result = record.harts[hart];
    for (;;) {
      if (stop[hart]) return end(hart, HartEnd::Stopped);
      Status ran = vcpu.run();
      if (!ran) {
        if (ran.err() == EINTR) continue;  // the stop check above decides
        result.run_errno = ran.err();
        return end(hart, HartEnd::RunFailed, ran.error().to_string());
      }
      result.exits++;
      kvm_run& run = *vcpu.state();
      const VcpuExit exit = decode_exit(run);
      if (auto* sbi = std::get_if<SbiCall>(&exit); sbi && is_kvmct_hypercall(*sbi)) {
        if (!hypercall(hart, run, *sbi)) return;
        continue;
      }
      if (auto* mmio = std::get_if<MmioAccess>(&exit); mmio && options.on_mmio) {
        std::optional<uint64_t> value = options.on_mmio(hart, *mmio);
        if (!value) return bad_exit(hart, exit, "MMIO access refused by the test: ");
        if (!mmio->is_write) set_mmio_load(run, *value);
        continue;
      }
      return bad_exit(hart, exit, "unexpected ");
    }
  }
};

}  // namespace

GuestRun GuestVm::run(const RunOptions& options) {
  install_kick_handler();
  GuestRun record;
  record.payload = payload_name_;
  record.harts.resize(vcpus_.size());
  record.timeout = options.timeout;
  RunLoop loop(*this, options, record);

  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < vcpus_.size(); i++) threads.emplace_back([&loop, i] { loop.hart_loop(i); });

  {
    std::unique_lock lock(loop.mu);
    record.timed_out = !loop.cv.wait_until(lock, start + options.timeout, [&] { return loop.run_over; });
  }
  // Stop every vCPU still running. immediate_exit covers a signal that lands just before the
  // thread enters KVM_RUN; the signal covers a thread already inside it.
  for (unsigned i = 0; i < vcpus_.size(); i++) {
    loop.stop[i] = true;
    vcpus_[i].state()->immediate_exit = 1;
  }
  for (;;) {
    bool all_done = true;
    {
      std::lock_guard lock(loop.mu);
      for (unsigned i = 0; i < vcpus_.size(); i++)
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

  for (unsigned i = 0; i < vcpus_.size(); i++) {
    HartResult& h = record.harts[i];
    if (record.timed_out && h.end == HartEnd::Stopped) h.end = HartEnd::TimedOut;
    if (Result<uint64_t> pc = vcpus_[i].get_reg(RegId::core(CoreReg::Pc).raw())) h.pc = *pc;
  }
  return record;
}

}  // namespace kvmct::riscv
