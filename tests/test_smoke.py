def test_home_lists_topics(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Topics" in response.data
