using System;
using System.Threading;
using System.Threading.Tasks;

var cts = new CancellationTokenSource();
var spinner = SpinAsync("thinking", cts.Token);
var resut = await ComputeAsync();
cts.Cancel();

try
{
    await spinner;
}
catch (OperationCanceledException)
{
}

Console.WriteLine($"answer: {resut}");

static async Task SpinAsync(string message, CancellationToken token)
{
    var frames = "|/-\\";
    for (var i = 0; !token.IsCancellationRequested; i++)
    {
        Console.Write($"\r{frames[i % 4]} {message}");
        try
        {
            await Task.Delay(100, token);
        }
        catch (OperationCanceledException)
        {
            break;
        }
    }
}

static async Task<int> ComputeAsync()
{
    await Task.Delay(300);
    return 42;
}

partial class Program
{
}
