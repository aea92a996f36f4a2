using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Ingest;

public sealed class Ingestor : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _inFlight;

    public int InFlight => _inFlight;

    public void Start()
    {
        _loop = Task.Factory.StartNew(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await PollAsync();
            }
        }, _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    public async Task<string> FetchAsync(Uri url)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(url);
    }

    public async Task<int> SaveAsync(string path, string text)
    {
        _inFlight++;
        try
        {
            return await WriteAsync(path, text);
        }
        finally
        {
            _inFlight--;
        }
    }

    public async Task<int> SaveExclusiveAsync(string path, string text)
    {
        await _gate.WaitAsync();
        try
        {
            return await WriteAsync(path, text);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _gate.Dispose();
    }

    private static async Task<int> WriteAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text);
        return text.Length;
    }

    private static Task PollAsync() => Task.Delay(100);
}
