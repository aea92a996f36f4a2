using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace Desktop;

public sealed class Button
{
    public event EventHandler? Click;
    public void PerformClick() => Click?.Invoke(this, EventArgs.Empty);
}

public sealed class MainWindow
{
    private readonly HttpClient _http = new();
    private string _status = "";

    public MainWindow(Button refresh)
    {
        refresh.Click += OnRefreshClick;
    }

    public string Status => _status;

    private async void OnRefreshClick(object? sender, EventArgs e)
    {
        try
        {
            _status = await _http.GetStringAsync("https://example.org/status");
        }
        catch (HttpRequestException ex)
        {
            _status = "offline: " + ex.Message;
        }
    }
}
