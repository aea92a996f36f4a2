// The shapes of docs/coexistence.md: run every peer and ours on this file with
//   dotnet run --project perf/AsyncPitfalls.Benchmarks -c Release -- --diagnostics perf/coexistence
// and compare what each reports, line by line.
using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Coexistence;

public interface IStore
{
    Task SaveAsync(string key);
    Task<int> CountAsync();
}

public class DroppedTasks
{
    private readonly IStore _store;
    private readonly object _gate = new();

    public DroppedTasks(IStore store) => _store = store;

    // 1. Dropped in a task-returning method: ASYNC001.
    public Task SaveBothAsync(string a, string b)
    {
        _store.SaveAsync(a);
        return _store.SaveAsync(b);
    }

    // 2. Dropped in a void method, deliberately: ASYNC007 (suggestion).
    public void Notify(string key)
    {
        lock (_gate)
        {
            _store.SaveAsync(key);
        }
    }

    // 3. Dropped in an async method: the compiler's CS4014 (ours stays silent).
    public async Task SaveAllAsync(string key)
    {
        _store.SaveAsync(key);
        await Task.Yield();
    }

    // 4. A delay nobody awaits: ASYNC001.
    public void Pause() => Task.Delay(100);
}

public class AsyncVoids
{
    public event EventHandler? Changed;

    // 5. Chosen async void, called directly: ASYNC003.
    private async void Refresh() => await File.WriteAllTextAsync("a.txt", "x");

    public void Start() => Refresh();

    // 6. Event handler that can fail: ASYNC008 (suggestion).
    private async void OnChanged(object? sender, EventArgs e) => await File.WriteAllTextAsync("b.txt", "y");

    public void Wire() => Changed += OnChanged;

    // 7. Event handler guarded by a catch-all: nothing from ours.
    private async void OnChangedSafely(object? sender, EventArgs e)
    {
        try
        {
            await File.WriteAllTextAsync("c.txt", "z");
        }
        catch (Exception ex)
        {
            Console.WriteLine(ex.Message);
        }
    }

    public void WireSafely() => Changed += OnChangedSafely;
}

public class Blocking
{
    private readonly IStore _store;

    public Blocking(IStore store) => _store = store;

    // 8. Blocking calls in async code: ASYNC030.
    public async Task<int> CountTwiceAsync()
    {
        Thread.Sleep(10);
        var first = _store.CountAsync().Result;
        var text = File.ReadAllText("count.txt");
        await Task.Yield();
        return first + text.Length;
    }

    // 9. .Result of a task known to be complete: nothing from ours.
    public async Task<int> CountOnceAsync()
    {
        var task = _store.CountAsync();
        await task;
        return task.Result;
    }

    // 10. Synchronous code blocking on a task (not in async code): ours stays silent.
    public int Count() => _store.CountAsync().GetAwaiter().GetResult();
}
